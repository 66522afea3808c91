"""The framework floor: a bare Typer command with one option."""

import typer

app = typer.Typer()


@app.command()
def main(name: str = typer.Option("x", "--name")) -> None:
    print(name)


app()
