"""What makes the render fast, kept apart from what it renders.

- ``service``: the renderer's process, forked before the data is ready so the chart and PDF
  libraries load while the orchestrator reads and computes;
- ``fork``: one process per edition (fork shares the loaded libraries), garbage collection
  paused while an edition is drawn and laid out;
- ``native``: the PDF engine's native libraries found in the linker cache, not by a compiler;
- ``svg``: charts handed to the PDF engine without the nodes that cannot change the picture;
- ``svgtext``: each chart label drawn by the PDF engine as one run, not letter by letter;
- ``svgpath``: plain chart paths drawn to the engine's operators in one pass;
- ``fonts``: compact copies of the CJK fonts, made once in the cache, named before Noto;
- ``deflate``: PDF streams compressed at zlib's default level, not its slowest.

Nothing here knows what a report is: ``reporter.render`` uses these, never the reverse.
"""
