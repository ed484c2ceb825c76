module example.com/old/tools

go 1.26

toolchain go1.26
