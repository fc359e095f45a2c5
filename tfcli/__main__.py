from tfcli.entry import main

main()
