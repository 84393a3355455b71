import { erpContract } from "../../../testkit/src/contracts/Erp"
import { control, erpLayer, makeFake } from "./harness"

const fake = makeFake()

erpContract("SAP S/4HANA through its fake", erpLayer(fake), control(fake))
