"""The platform-neutral core: domain packages on a DAG (docs/architecture.md).

Root modules (enums, errors, clock, config, metrics, durations, background, idempotency,
business_days, logs) import no package of `bot/`. A package imports only packages below it;
nothing here imports `handlers/`, `emulator/` or a chat SDK (pyproject `[tool.importlinter]`).
"""
