/* verbatim new: not built yet (see the open issue). */
#include "cmds.h"

int cmd_new(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("new", "not implemented yet");
	return VB_EXIT_ERROR;
}
