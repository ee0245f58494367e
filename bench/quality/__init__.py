"""Quality of what the offline describer says, on a labelled set generated here (``python -m
bench.quality``). See :mod:`bench.quality.registry` for how a kind plugs in."""
