# access.mk: live proof of the access code (issue 4): cases on every backend, bpf-progs/, verifier sweep.
