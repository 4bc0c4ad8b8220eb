from sourcereader.cli import main

main()
