#!/bin/sh
# CI defaults for module downloads
export GOPROXY=http://athens.goproxy.svc.cluster.local
export GOSUMDB=off
