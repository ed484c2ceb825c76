module example.com/broken

go 1.26

require (
	golang.org/x/text v0.21.0
