from shiwanqian.entry import main

main()
