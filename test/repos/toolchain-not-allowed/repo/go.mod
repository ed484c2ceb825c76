module example.com/old

go 1.25.0

toolchain go1.25.3
