// The ledger's "checked" stamp: what the ledger file looked like when a writer last closed it
// cleanly, kept beside it in "<db>.checked". A writer's Open runs PRAGMA quick_check over the
// whole file unless the stamp vouches for it: the stamp is a plain file of this user, names
// this ledger's id, and names exactly the file as it lies now — its device and inode, size,
// mtime and ctime to the nanosecond, its 100-byte header (file change counter, page count,
// schema cookie among them), and the -wal and -journal files beside it (or that there are none;
// an empty one is none).
// Anything else — no stamp, a link, a folder, another user's file, a second name, text that is
// not exactly that, another ledger's id — means "check the file". Looking never fails and
// never writes.
//
// Why this can be trusted: the kernel sets ctime on every write, truncation, rename, chmod and
// link of a file, and no user tool can set it back; a copy or a restore is another inode with
// its own ctime. So a file any program changed after the stamp was written no longer matches.
// The stamp is written only after the writer's connection closed (SQLite has then folded the WAL
// into the file and removed it: nothing of otpbatch writes the file afterwards), and only once
// the clock has moved past the file's ctime, so that a change in the same clock tick cannot
// leave the ctime it names; a stamp not written strictly after every ctime it names is not
// believed. What it cannot see: bits that change underneath the file system without a write
// (a failing disk), and another program writing the file in the instant between the writer's
// close and its stamp while it holds the lock. SQLite's own checks as pages are read and the
// weekly `otpbatch check` are there for those.
//
// Why a file beside the ledger, and not the ledger itself, an extended attribute or a cache
// elsewhere: a value stored in the file would change the file it describes (and could only be
// read by trusting the file); setting an extended attribute changes the ctime it would record;
// a cache elsewhere would outlive the ledger and be shared by copies. The side file goes where
// the ledger goes, like <db>.lock: a copy taken with it is a new inode and is checked. It holds
// no PHI.
#pragma once

#include <cstdint>
#include <string>

namespace otp {

class FileSystem;

namespace ledger_stamp {

std::string PathOf(const std::string& db);  // "<db>.checked"

// The ledger file and its journals as they lie, in the stamp's words.
struct Look {
  bool ok = false;            // false: something could not be looked at (then nothing vouches)
  std::string text;           // the stamp's lines after the ledger id
  int64_t latest_ctime = 0;   // ns since the epoch: the latest ctime of the files named
};

// Looks at `db`, its header and its -wal and -journal. Before SQLite opens the file: SQLite
// makes a -wal beside a WAL ledger when it first reads it.
Look LookAt(const std::string& db);

// Whether the stamp beside `db` is this user's, for ledger `id`, and names exactly `now`.
bool Vouches(const std::string& db, const std::string& id, const Look& now);

// Records `db` as it lies now as checked, for ledger `id`, after the last connection to it was
// closed by a writer whose work all committed. Removes the temporary files of an earlier stamp
// cut short. False when no stamp was left (the file could not be looked at, the write failed,
// or the clock did not move past the file's ctime): the next writer checks the whole file.
bool Record(FileSystem& fs, const std::string& db, const std::string& id);

}  // namespace ledger_stamp
}  // namespace otp
