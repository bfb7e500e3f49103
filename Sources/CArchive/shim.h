// libarchive for Swift. C cast macros do not import, so the few we need are re-exported here.
#ifndef SAGEBOX_CARCHIVE_SHIM_H
#define SAGEBOX_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

static const int sagebox_archive_ok = ARCHIVE_OK;
static const int sagebox_archive_eof = ARCHIVE_EOF;
static const int sagebox_archive_warn = ARCHIVE_WARN;
static const unsigned int sagebox_ae_ifreg = AE_IFREG;
static const unsigned int sagebox_ae_ifdir = AE_IFDIR;
#endif
