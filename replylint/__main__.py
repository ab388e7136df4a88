from replylint.cli import main

main()
