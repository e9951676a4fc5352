/* version.h — the release this source tree builds. */
#ifndef GUATU_VERSION
#define GUATU_VERSION "0.1.0"
#endif
