"""The parts of the LINE webhook benchmark (`benchmarks/bench_line_webhook.py`): signed bodies, the processes it
runs (gunicorn, the worker, wrk), its own database and a fake LINE API."""
