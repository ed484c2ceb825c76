module example.com/debugged

go 1.26

godebug (
	default=go1.27
	panicnil=1
)
