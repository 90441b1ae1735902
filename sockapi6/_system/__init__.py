"""The system layer: everything that touches this OS, below the rest of the package.

* :mod:`~sockapi6._system.platform`: the platform record, one per (OS, arch);
* :mod:`~sockapi6._system.binding`: this platform's declarations (``ffi``), libc (``lib``), the backend
  switch; the generated declarations live in ``_abi/``;
* :mod:`~sockapi6._system.layout`: struct layouts of any architecture (``abi --arch``, the probe);
* :mod:`~sockapi6._system.descriptors`: a socket's descriptor, checked (``fileno``, ``check_socket``);
* :mod:`~sockapi6._system.oserror`: what a failed libc call raises;
* :mod:`~sockapi6._system.ifindex`: interface name <-> index (RFC 3493 section 4), the one resolver.

Nothing here imports the layers above (the wire formats, the socket layer, the CLI); only
:mod:`sockapi6.errors` and the plain value checks of :mod:`sockapi6._checks` sit below.  The
import-linter contracts in ``.importlinter`` keep it so.
"""
