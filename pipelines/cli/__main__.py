from pipelines.cli.main import app

app(prog_name="closedloop")
