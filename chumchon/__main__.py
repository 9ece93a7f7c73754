from chumchon.cli import main

main()
