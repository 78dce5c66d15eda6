"""The Python that runs jobs: which packages it has (``deps``), installing them (``installer``,
``install_task``, ``pip_failures``), the torch build for this GPU (``cuda``), the worker process
(``worker``), the diagnostics report and the speed calibration of the estimate."""
