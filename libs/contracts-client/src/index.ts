export {
  ContractsClient,
  type ContractsClientOptions,
  type ContractsSendOptions,
} from './contracts-client.js';
