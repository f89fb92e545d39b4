/* rconsole.h: the whole public API of the rconsole engine library. */
#ifndef RCONSOLE_RCONSOLE_H
#define RCONSOLE_RCONSOLE_H

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "rconsole/loop.h"
#include "rconsole/resolve.h"
#include "rconsole/conn.h"
#include "rconsole/adapter.h"
#include "rconsole/client.h"
#include "rconsole/session.h"
#include "rconsole/policy.h"
#include "rconsole/mc.h"
#include "rconsole/profile.h"
#include "rconsole/version.h"

#endif
