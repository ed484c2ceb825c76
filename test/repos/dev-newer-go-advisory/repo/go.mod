module example.com/next

go 1.27.0

toolchain go1.27.0
