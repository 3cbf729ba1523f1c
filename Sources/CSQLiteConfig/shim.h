#ifndef MOLTSCOPE_CSQLITECONFIG_SHIM_H
#define MOLTSCOPE_CSQLITECONFIG_SHIM_H

#include <sqlite3.h>

/// sqlite3_db_config is variadic, which Swift cannot call: one fixed-argument wrapper per option.
///
/// Closing the last connection to a WAL database normally checkpoints under an EXCLUSIVE lock on
/// the file, and every reader that opens meanwhile gets "database is locked". With this option
/// the close leaves the WAL alone; moltscope checkpoints it itself first, without locking readers out.
static inline int moltscope_sqlite3_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

#endif
