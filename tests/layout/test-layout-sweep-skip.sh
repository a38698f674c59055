#!/bin/sh
# The libtraceevent sweep, when configure found no libtraceevent.
echo "SKIP: libtraceevent (libtraceevent-dev) was not found by configure"
exit 77
