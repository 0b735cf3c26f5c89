# arch/x86_64: rules added by its owner; see the top-level Makefile for the variables.
