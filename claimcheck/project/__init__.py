"""A run over many inputs: config, cache, baseline, suppressions, parallel and Dask execution.
Imports: everything but training and cli.
"""
