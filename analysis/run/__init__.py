"""Run: the papermill runner, warm kernels, the Dask executor, the helpers
notebooks call, and the assembly of `results.json`."""
