/* verbatim check: not built yet (see the open issue). */
#include "cmds.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("check", "not implemented yet");
	return VB_EXIT_ERROR;
}
