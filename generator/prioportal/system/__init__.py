"""What every step may ask of the machine, beneath the pipeline: spreading work over the
cores (`cores`) and writing files inside a folder without leaving it (`safe_writing`). Nothing
here knows of portals, pages or builds, and nothing here imports the rest of prioportal."""
