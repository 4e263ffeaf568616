"""This process's name among replicas, for logs and for rows that record who holds what."""

from __future__ import annotations

import os
import socket
import uuid

# Host and pid say where to look; the random tail tells a restarted process with a reused
# pid (a container restart) from the one that held the claim before it.
REPLICA_ID = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
