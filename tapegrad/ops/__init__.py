"""Op families: each primitive's forward, VJP and JVP stand together in its family file."""
