"""Machine translation, and the Argos Translate packages it runs on.

``errors``
    What a user can act on (:class:`~.errors.MachineTranslationError` and its kinds) and the
    guidance printed for a missing model or a missing ``translate`` extra.
``machine``
    Machine translation itself, engine-independent: the :class:`~.machine.MachineTranslator`
    protocol, :class:`~.machine.Provenance`, machine-translated sentences (fresh and stored),
    planning and running a document's machine translation batch by batch, the reader's cells,
    and writing the result as a translation file.
``argos_packages``
    Argos Translate as a package manager: the installed packages, installing (from a file or
    the index), removing, the model hash, and where Argos keeps its folders.
``argos``
    :class:`~.argos.ArgosTranslator`: a :class:`~.machine.MachineTranslator` over the installed
    packages, with a process-wide cache of loaded models.

Words
    A *translation* is a text in the library that renders a document in another language
    (``documents.Translation``): a person's, or a machine translation written out as a file.
    *Machine translation* is what an engine makes, one sentence for each source sentence, kept
    in the store: every name for it says ``machine`` (``machine_translate``,
    ``MachineTranslationPlan``, ``StoredMachineSentence``), never ``translation`` alone.

Nothing heavy is imported at import time: ``argostranslate`` only inside
``argos_packages``' functions, ``ctranslate2`` and ``sentencepiece`` only inside ``argos``'
(``argostranslate.translate``, which pulls in torch, never). The store imports ``machine``;
nothing here imports the store (it is reached through :class:`~.machine.MachineTranslationCache`).
"""
