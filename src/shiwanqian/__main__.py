from shiwanqian.cli import main; main()  # noqa: E702
