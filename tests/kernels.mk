# kernels.mk: the qemu kernel matrix (make check-kernels)
