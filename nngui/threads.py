"""The process's threads: numpy's BLAS gets one, for every command and the window.

The networks here are small enough that a second BLAS thread gains nothing on their
products, and on a machine with few cores it costs a great deal: while it spins waiting for
the next product it takes a core from the training thread (and, in the window, from the
drawing thread). Measured on two cores: a 2 → 64 → 64 → 3 network trained 0.8 ms an epoch
with one BLAS thread and 4 ms with OpenBLAS's default pool; 2 → 256 → 256 → 3 on 3,000
points 67 ms against 148 ms; the window's decision grid cost the training thread three
times its CPU time.
"""

from __future__ import annotations


def one_blas_thread() -> bool:
    """Have numpy's BLAS use one thread (True if a BLAS library was found and told)."""
    import numpy  # noqa: F401  (threadpoolctl finds the BLAS libraries already loaded)
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=1, user_api="blas").get_original_num_threads().get("blas") is not None
