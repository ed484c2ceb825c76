module example.com/svc

go 1.26.0

toolchain go1.26.7
