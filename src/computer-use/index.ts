// Computer use on real screens (issue 13): coordinates scaled between the model's view and the screen.
export {
  COMPUTER_TOOL_TYPES,
  COMPUTER_TOOLSET_MEMBERS,
  COMPUTER_TOOLSET_TYPE,
  type ComputerTools,
  findComputerTools,
  mapActionInput,
} from './computer-tools.js';
export {
  COMPUTER_USE_HEADER,
  type ComputerUseScaling,
  formatComputerUseHeader,
  parseScreenSize,
  resolveComputerUseMode,
  SCREEN_SIZE_HEADER,
  scaleComputerUse,
} from './scale-computer-use.js';
