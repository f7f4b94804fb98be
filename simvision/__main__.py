from simvision.cli import main

main()
