/* verbatim hook: not built yet (see the open issue). */
#include "cmds.h"

int cmd_hook(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("hook", "not implemented yet");
	return VB_EXIT_ERROR;
}
