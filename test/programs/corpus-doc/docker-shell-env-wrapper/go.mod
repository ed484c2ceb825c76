module git.corp.example/team/svc

go 1.26.7
