"""prioportal: publish municipal priority decisions as an accessible static site."""
