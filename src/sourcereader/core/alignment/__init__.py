"""Sentence alignment of a text with its translation. Import from the module that holds a name:

``beads``        :class:`~.beads.Bead` and the user's edits to an alignment (merge, split, move, verify)
``corrections``  the stored form of verified beads, re-mapped onto edited texts
``document``     the alignment of a library document: cached in the store, corrections kept
``aligner``      :func:`~.aligner.align` and the method, in its docstring
``params``       the cost model's parameters and their re-estimation between passes
``sides``        one side of a text pair as the aligner sees it: lengths, flags, keys
``search``       the banded dynamic programming over one stretch
``lexicon``      word pairs learnt from the document between passes
``features``     language-free sentence features: name skeletons, numbers, punctuation, stems

One word for each thing:

* a *verified* bead is one the user confirmed, by editing it or marking it (``Bead.verified``);
* a *correction* is a verified bead as stored, by the content of its sentences (``Correction``);
* *fixed* beads are what :func:`~.aligner.align` must return exactly: the verified beads re-mapped
  from the corrections. A fixed bead with both sides is an *anchor*; one with an empty side *pins*
  its sentences as untranslated.

``beads``, ``corrections`` and ``features`` import no numpy: the reader edits beads, and the CLI
makes ids, without loading the aligner.
"""
