# trace.mk: featprobe access and featprobe trace (issue 4), and the program builder they share with the tests.
