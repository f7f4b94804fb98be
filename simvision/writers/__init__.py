"""Writers: pure converters from records to the files of each format, registered in
:mod:`simvision.writers.registry` (the pipeline and ``simvision.sample`` do the IO)."""
