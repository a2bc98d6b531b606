module github.com/anchore/clio

go 1.24

require github.com/wagoodman/go-partybus v0.0.0-20230516145632-8ccac152c651
