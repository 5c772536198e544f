/* verbatim phrases: not built yet (see the open issue). */
#include "cmds.h"

int cmd_phrases(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vb_cmd_error("phrases", "not implemented yet");
	return VB_EXIT_ERROR;
}
