module github.com/dhowden/tag

go 1.20

require github.com/dhowden/itl v0.0.0-20170329215456-9fbe21093131

require github.com/dhowden/plist v0.0.0-20141002110153-5db6e0d9931a // indirect
