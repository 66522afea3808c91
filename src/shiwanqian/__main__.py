from shiwanqian.entry import main; main()  # noqa: E702
