module example.com/cli

go 1.26

toolchain go1.26.7
