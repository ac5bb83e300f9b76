"""Migration scripts, applied in order by ``store.engine.upgrade_database``."""
