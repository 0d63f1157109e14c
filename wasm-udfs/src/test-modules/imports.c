/*
 * test-imports.wasm - a module with a function import (env.host_log), which the engine must
 * refuse at instantiation unless the host provides it (UDF modules may import nothing).
 */
#include <stdint.h>

__attribute__((import_module("env"), import_name("host_log"))) void host_log(int32_t value);

/* logged(x integer) RETURNS integer: calls env.host_log(x) and returns x. */
__attribute__((export_name("logged"))) int32_t logged(int32_t x)
{
    host_log(x);
    return x;
}
