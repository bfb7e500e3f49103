"""One module per row of issue 6's table; each exposes `run(ctx) -> list[Result]`."""
